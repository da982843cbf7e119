/// An account's `aws iam get-account-authorization-details` output, written for the tests in the
/// shape AWS documents (account 123456789012): documents as JSON objects (as the CLI prints
/// them) and as URL-encoded strings (as the API returns them: bob's inline policy, the Ops
/// group's, both versions of IdentitiesWithMFA). AdministratorAccess and ReadOnlyAccess carry
/// their usual documents (ReadOnlyAccess shortened to the services the tests ask about).
///
/// - alice: in Admins (AdministratorAccess), ReadOnlyAccess attached directly.
/// - bob: ReadOnlyAccess, and an inline Allow of s3:DeleteObject on one bucket.
/// - carol: in Ops (ec2:*, but a Deny of ec2:DeleteSnapshot), IdentitiesWithMFA attached, whose
///   default version v2 allows user and key creation only with MFA (v1, not default, allows iam:*).
/// - dave: AdministratorAccess, permissions boundary DevBoundary (ec2:* and s3:* only).
/// - erin: AdministratorAccess and AWSCompromisedKeyQuarantineV3 (its document not in the file).
enum AuthorizationDetailsFixture {
    static let json = #"""
    {
        "UserDetailList": [
            {
                "Path": "/",
                "UserName": "alice",
                "UserId": "AIDAZAVB57H5ALICEQQQR",
                "Arn": "arn:aws:iam::123456789012:user/alice",
                "CreateDate": "2019-03-14T09:21:07Z",
                "UserPolicyList": [],
                "GroupList": [
                    "Admins"
                ],
                "AttachedManagedPolicies": [
                    {
                        "PolicyName": "ReadOnlyAccess",
                        "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"
                    }
                ],
                "Tags": []
            },
            {
                "Path": "/",
                "UserName": "bob",
                "UserId": "AIDAZAVB57H5BOBQQQQQ2",
                "Arn": "arn:aws:iam::123456789012:user/bob",
                "CreateDate": "2019-03-14T09:21:07Z",
                "UserPolicyList": [
                    {
                        "PolicyName": "CleanArtifacts",
                        "PolicyDocument": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%7B%22Sid%22%3A%22CleanArtifacts%22%2C%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3ADeleteObject%22%2C%22Resource%22%3A%22arn%3Aaws%3As3%3A%3A%3Abuild-artifacts-123456789012%2F%2A%22%7D%7D"
                    }
                ],
                "GroupList": [],
                "AttachedManagedPolicies": [
                    {
                        "PolicyName": "ReadOnlyAccess",
                        "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"
                    }
                ],
                "Tags": []
            },
            {
                "Path": "/",
                "UserName": "carol",
                "UserId": "AIDAZAVB57H5CAROLQQQ3",
                "Arn": "arn:aws:iam::123456789012:user/carol",
                "CreateDate": "2019-03-14T09:21:07Z",
                "UserPolicyList": [],
                "GroupList": [
                    "Ops"
                ],
                "AttachedManagedPolicies": [
                    {
                        "PolicyName": "IdentitiesWithMFA",
                        "PolicyArn": "arn:aws:iam::123456789012:policy/IdentitiesWithMFA"
                    }
                ],
                "Tags": []
            },
            {
                "Path": "/",
                "UserName": "dave",
                "UserId": "AIDAZAVB57H5DAVEQQQQ4",
                "Arn": "arn:aws:iam::123456789012:user/dave",
                "CreateDate": "2019-03-14T09:21:07Z",
                "UserPolicyList": [],
                "GroupList": [],
                "AttachedManagedPolicies": [
                    {
                        "PolicyName": "AdministratorAccess",
                        "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"
                    }
                ],
                "Tags": [],
                "PermissionsBoundary": {
                    "PermissionsBoundaryType": "Policy",
                    "PermissionsBoundaryArn": "arn:aws:iam::123456789012:policy/DevBoundary"
                }
            },
            {
                "Path": "/",
                "UserName": "erin",
                "UserId": "AIDAZAVB57H5ERINQQQQ5",
                "Arn": "arn:aws:iam::123456789012:user/erin",
                "CreateDate": "2019-03-14T09:21:07Z",
                "UserPolicyList": [],
                "GroupList": [],
                "AttachedManagedPolicies": [
                    {
                        "PolicyName": "AdministratorAccess",
                        "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"
                    },
                    {
                        "PolicyName": "AWSCompromisedKeyQuarantineV3",
                        "PolicyArn": "arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3"
                    }
                ],
                "Tags": []
            }
        ],
        "GroupDetailList": [
            {
                "Path": "/",
                "GroupName": "Admins",
                "GroupId": "AGPAZAVB57H5ADMINSQQR",
                "Arn": "arn:aws:iam::123456789012:group/Admins",
                "CreateDate": "2016-01-05T10:00:00Z",
                "GroupPolicyList": [],
                "AttachedManagedPolicies": [
                    {
                        "PolicyName": "AdministratorAccess",
                        "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"
                    }
                ]
            },
            {
                "Path": "/",
                "GroupName": "Ops",
                "GroupId": "AGPAZAVB57H5OPSQQQQ2",
                "Arn": "arn:aws:iam::123456789012:group/Ops",
                "CreateDate": "2016-01-05T10:00:00Z",
                "GroupPolicyList": [
                    {
                        "PolicyName": "OpsFleet",
                        "PolicyDocument": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Sid%22%3A%22RunFleet%22%2C%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22ec2%3A%2A%22%2C%22Resource%22%3A%22%2A%22%7D%2C%7B%22Sid%22%3A%22NoSnapshotDeletion%22%2C%22Effect%22%3A%22Deny%22%2C%22Action%22%3A%22ec2%3ADeleteSnapshot%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D"
                    }
                ],
                "AttachedManagedPolicies": []
            }
        ],
        "RoleDetailList": [],
        "Policies": [
            {
                "PolicyName": "AdministratorAccess",
                "PolicyId": "ANPAIWMBCKSKIEE64ZLYK",
                "Arn": "arn:aws:iam::aws:policy/AdministratorAccess",
                "Path": "/",
                "DefaultVersionId": "v1",
                "AttachmentCount": 1,
                "PermissionsBoundaryUsageCount": 0,
                "IsAttachable": true,
                "CreateDate": "2015-02-06T18:39:46Z",
                "UpdateDate": "2015-02-06T18:39:46Z",
                "PolicyVersionList": [
                    {
                        "Document": {
                            "Version": "2012-10-17",
                            "Statement": [
                                {
                                    "Effect": "Allow",
                                    "Action": "*",
                                    "Resource": "*"
                                }
                            ]
                        },
                        "VersionId": "v1",
                        "IsDefaultVersion": true,
                        "CreateDate": "2015-02-06T18:39:46Z"
                    }
                ]
            },
            {
                "PolicyName": "ReadOnlyAccess",
                "PolicyId": "ANPAILL3HVNFSB6DCOWYQ",
                "Arn": "arn:aws:iam::aws:policy/ReadOnlyAccess",
                "Path": "/",
                "DefaultVersionId": "v1",
                "AttachmentCount": 1,
                "PermissionsBoundaryUsageCount": 0,
                "IsAttachable": true,
                "CreateDate": "2015-02-06T18:39:46Z",
                "UpdateDate": "2015-02-06T18:39:46Z",
                "PolicyVersionList": [
                    {
                        "Document": {
                            "Version": "2012-10-17",
                            "Statement": [
                                {
                                    "Sid": "ReadOnly",
                                    "Effect": "Allow",
                                    "Action": [
                                        "cloudtrail:Describe*",
                                        "cloudtrail:Get*",
                                        "cloudtrail:List*",
                                        "cloudtrail:LookupEvents",
                                        "ec2:Describe*",
                                        "ec2:Get*",
                                        "iam:Get*",
                                        "iam:List*",
                                        "iam:Generate*",
                                        "rds:Describe*",
                                        "rds:List*",
                                        "s3:Get*",
                                        "s3:List*",
                                        "backup:Describe*",
                                        "backup:Get*",
                                        "backup:List*"
                                    ],
                                    "Resource": "*"
                                }
                            ]
                        },
                        "VersionId": "v1",
                        "IsDefaultVersion": true,
                        "CreateDate": "2015-02-06T18:39:46Z"
                    }
                ]
            },
            {
                "PolicyName": "IdentitiesWithMFA",
                "PolicyId": "ANPAZAVB57H5MFAQQQQQR",
                "Arn": "arn:aws:iam::123456789012:policy/IdentitiesWithMFA",
                "Path": "/",
                "DefaultVersionId": "v2",
                "AttachmentCount": 1,
                "PermissionsBoundaryUsageCount": 0,
                "IsAttachable": true,
                "CreateDate": "2015-02-06T18:39:46Z",
                "UpdateDate": "2015-02-06T18:39:46Z",
                "PolicyVersionList": [
                    {
                        "Document": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22iam%3A%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D",
                        "VersionId": "v1",
                        "IsDefaultVersion": false,
                        "CreateDate": "2015-02-06T18:39:46Z"
                    },
                    {
                        "Document": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Sid%22%3A%22IdentitiesWithMFA%22%2C%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%5B%22iam%3ACreateUser%22%2C%22iam%3ACreateAccessKey%22%5D%2C%22Resource%22%3A%22%2A%22%2C%22Condition%22%3A%7B%22Bool%22%3A%7B%22aws%3AMultiFactorAuthPresent%22%3A%22true%22%7D%7D%7D%5D%7D",
                        "VersionId": "v2",
                        "IsDefaultVersion": true,
                        "CreateDate": "2015-02-06T18:39:46Z"
                    }
                ]
            },
            {
                "PolicyName": "DevBoundary",
                "PolicyId": "ANPAZAVB57H5DEVBQQQQR",
                "Arn": "arn:aws:iam::123456789012:policy/DevBoundary",
                "Path": "/",
                "DefaultVersionId": "v1",
                "AttachmentCount": 1,
                "PermissionsBoundaryUsageCount": 0,
                "IsAttachable": true,
                "CreateDate": "2015-02-06T18:39:46Z",
                "UpdateDate": "2015-02-06T18:39:46Z",
                "PolicyVersionList": [
                    {
                        "Document": {
                            "Version": "2012-10-17",
                            "Statement": [
                                {
                                    "Sid": "ComputeAndStorage",
                                    "Effect": "Allow",
                                    "Action": [
                                        "ec2:*",
                                        "s3:*"
                                    ],
                                    "Resource": "*"
                                }
                            ]
                        },
                        "VersionId": "v1",
                        "IsDefaultVersion": true,
                        "CreateDate": "2015-02-06T18:39:46Z"
                    }
                ]
            }
        ],
        "IsTruncated": false
    }
    """#
}
